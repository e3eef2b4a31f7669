module github.com/catch22/catch22

go 1.26.0

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/emicklei/dot v1.11.0 // graph pictures
	github.com/google/go-cmp v0.7.0
	github.com/rogpeppe/go-internal v1.16.0
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	github.com/urfave/cli/v2 v2.27.7
	go.etcd.io/bbolt v1.5.0 // the reference KV's durable store
	gonum.org/v1/gonum v0.17.0
)

require github.com/google/pprof v0.0.0-20261105003125-4bf881d7fb0b

require (
	github.com/cpuguy83/go-md2man/v2 v2.0.7 // indirect
	github.com/russross/blackfriday/v2 v2.1.0 // indirect
	github.com/xrash/smetrics v0.0.0-20240521201337-686a1a2994c1 // indirect
	golang.org/x/sys v0.45.0 // indirect
	golang.org/x/text v0.23.0 // indirect
	golang.org/x/tools v0.36.0 // indirect
)
