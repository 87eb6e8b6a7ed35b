//go:build !race

package main

// raceEnabled says the tests run under the race detector, which makes every
// program and client several times slower: TestMain runs fewer of them at
// once then.
const raceEnabled = false
