module flamegen.test/gen

go 1.27
