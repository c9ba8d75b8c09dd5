module flamegen.test/gentrace

go 1.22
