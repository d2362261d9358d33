// Calc reads arithmetic like "2 * 2" from standard input, one expression per
// line, and prints each result: the same calculator as the Go lessons, in Java.

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

public class Calc {
    static double eval(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length != 3) {
            throw new IllegalArgumentException("want: NUMBER OPERATOR NUMBER, like 2 * 2");
        }
        double a = number(f[0]);
        double b = number(f[2]);
        switch (f[1]) {
            case "+": return a + b;
            case "-": return a - b;
            case "*": case "x": return a * b;
            case "/":
                if (b == 0) {
                    throw new IllegalArgumentException("division by zero");
                }
                return a / b;
            default:
                throw new IllegalArgumentException("unknown operator \"" + f[1] + "\" (use + - * /)");
        }
    }

    static double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + s + "\" is not a number");
        }
    }

    // 4.0 prints as 4, 0.5 as 0.5, as the Go calculator prints them
    static String format(double v) {
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int status = 0;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            try {
                System.out.println(format(eval(line)));
            } catch (IllegalArgumentException e) {
                System.err.println("calc: " + e.getMessage());
                status = 1;
            }
        }
        System.exit(status);
    }
}
