// Command calc-api is the calculator as a small HTTP service:
//
//	GET /calc?expr=2+*+2  ->  4
//
// Like many real services it keeps a scratch file while it runs (here in
// the temporary directory), and it serves on port 8080.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func eval(expr string) (float64, error) {
	f := strings.Fields(expr)
	if len(f) != 3 {
		return 0, fmt.Errorf("want: NUMBER OPERATOR NUMBER, like 2 * 2")
	}
	a, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", f[0])
	}
	b, err := strconv.ParseFloat(f[2], 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", f[2])
	}
	switch f[1] {
	case "+":
		return a + b, nil
	case "-":
		return a - b, nil
	case "*", "x":
		return a * b, nil
	case "/":
		if b == 0 {
			return 0, fmt.Errorf("division by zero")
		}
		return a / b, nil
	}
	return 0, fmt.Errorf("unknown operator %q (use + - * /)", f[1])
}

func main() {
	scratch := filepath.Join(os.TempDir(), "calc-api.state")
	if err := os.WriteFile(scratch, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600); err != nil {
		log.Fatalf("calc-api: cannot write its scratch file: %v", err)
	}
	http.HandleFunc("/calc", func(w http.ResponseWriter, r *http.Request) {
		v, err := eval(r.URL.Query().Get("expr"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, strconv.FormatFloat(v, 'f', -1, 64))
	})
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "calc-api: try /calc?expr=2+*+2")
	})
	log.Printf("calc-api: uid %d, listening on :8080", os.Getuid())
	log.Fatal(http.ListenAndServe(":8080", nil))
}
