module example.com/calc-svc

go 1.24
