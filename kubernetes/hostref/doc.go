// Package hostref finds the hosts a service names in its configuration:
// environment variables whose name says they hold an address, and the
// registry of a container image. The Kubernetes and Compose importers share
// it so that the same variable gives the same guess in both.
//
// It is pure string work: it knows nothing of manifests, YAML or either
// importer. (It lives under kubernetes/ only because that is where it was
// first needed; it belongs next to package importer.)
package hostref
