// Command capture records the request frames real Gremlin clients send,
// for the golden tests of gremlin/io.
//
// It runs a WebSocket listener on 127.0.0.1 that saves every frame and
// answers each request with 204 No Content (in the request's format), so
// clients proceed to their next request.
//
//	go run ./tests/capture -client go -out gremlin/io/testdata/gremlin-go
//	    runs gremlin-go 3.8.1 in-process through a fixed list of scenarios.
//	go run ./tests/capture -listen 127.0.0.1:8199 -out gremlin/io/testdata/npm-graphbinary
//	    waits for an external client (see npm_capture.js); the client
//	    names each scenario with GET /label?name=..., and ends the run
//	    with GET /done.
//
// Frames are written as NN-label.bin (binary frames, mime prefix kept)
// or NN-label.json (text frames).
package main
