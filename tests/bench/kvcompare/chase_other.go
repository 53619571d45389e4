//go:build !linux

package main

func newHugeChaser() *chaser { return nil }
