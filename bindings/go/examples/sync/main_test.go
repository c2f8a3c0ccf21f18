package main

// The demo's output, checked by go test.
func Example() {
	main()
	// Output:
	// laptop sent {"laptop":3}
	// phone sent delta {"laptop":3,"phone":6}
	// tablet sent {"laptop":3,"phone":2,"tablet":7}
	// laptop replied with 1 of its 3 slots: {"phone":6}
	// laptop and tablet: equal
	// converged: {"laptop":3,"phone":6,"tablet":7} value 16
	//   laptop 3
	//   phone  6
	//   tablet 7
}
