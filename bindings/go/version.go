package gcounter

// Version returns the version of the linked libgcounter, e.g. "0.2.0" (gcounter_version).
func Version() string {
	return cVersion()
}
