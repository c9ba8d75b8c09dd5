module flamegen.test/gen

go 1.22
