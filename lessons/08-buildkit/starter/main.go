// Command calc reads arithmetic like "2 * 2" from standard input, one
// expression per line, and prints each result.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func eval(line string) (float64, error) {
	f := strings.Fields(line)
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
	in := bufio.NewScanner(os.Stdin)
	status := 0
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue
		}
		v, err := eval(line)
		if err != nil {
			fmt.Fprintln(os.Stderr, "calc:", err)
			status = 1
			continue
		}
		fmt.Println(strconv.FormatFloat(v, 'f', -1, 64))
	}
	os.Exit(status)
}
