// Command calc-svc is the calculator as a small HTTP service:
//
//	GET /calc?expr=2+*+2  ->  4
//
// It listens on the address in LISTEN_ADDR (default :8080).
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
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
	addr := os.Getenv("LISTEN_ADDR")
	if addr == "" {
		addr = ":8080"
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
		fmt.Fprintln(w, "calc-svc: try /calc?expr=2+*+2")
	})
	log.Printf("calc-svc: started, uid %d", os.Getuid())
	log.Fatal(http.ListenAndServe(addr, nil))
}
