package main

import (
	"context"
	"flag"
	"log"
	"net"
	"net/http"
	"time"
)

func main() {
	client := flag.String("client", "", `"go" runs gremlin-go in-process; empty waits for an external client`)
	listen := flag.String("listen", "127.0.0.1:0", "listen address")
	out := flag.String("out", "gremlin/io/testdata/capture", "directory for captured frames")
	timeout := flag.Duration("timeout", 2*time.Minute, "give up after this long")
	flag.Parse()

	rec, err := newRecorder(*out)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: rec}
	go srv.Serve(ln)
	url := "ws://" + ln.Addr().String() + "/gremlin"
	log.Printf("listening on %s", url)

	switch *client {
	case "go":
		if err := runGremlinGo(url, rec); err != nil {
			log.Fatal(err)
		}
	case "":
		select {
		case <-rec.done:
		case <-time.After(*timeout):
			log.Fatal("timed out waiting for /done")
		}
	default:
		log.Fatalf("unknown -client %q", *client)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	srv.Shutdown(ctx)
	log.Printf("wrote %d frames to %s", len(rec.files), *out)
}
