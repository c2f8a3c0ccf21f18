module github.com/libgcounter/gcounter/bindings/go

go 1.24
