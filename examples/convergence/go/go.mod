module github.com/libgcounter/gcounter/examples/convergence/go

go 1.24

require github.com/libgcounter/gcounter/bindings/go v0.0.0

replace github.com/libgcounter/gcounter/bindings/go => ../../../bindings/go
