module example.com/calc-api

go 1.24
