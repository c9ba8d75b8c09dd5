#!/usr/bin/env python3
"""Writes folded-stack inputs of different shapes for `make bench`, seeded and deterministic.

usage: gen-shapes.py SHAPE OUT [SCALE [SEED]]
  random-unique  400k random stacks over 2,000 functions, depth 5-40, little sharing (~114 MB)
  wide-flat      1M distinct leaf functions under one parent
  long-names     C++/Rust-style ~300-byte symbols, shared prefixes
  fractional     fractional counts (`a;b 0.25`)
  differential   two-column lines (`a;b 10 12`), as difffolded.pl writes
SCALE (default 1) multiplies the number of lines; SEED (default 20261123, the bench's inputs)
changes the random choices, for tests that draw the same shape several ways.
"""
import random
import sys


def main():
    shape, out = sys.argv[1], sys.argv[2]
    scale = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20261123
    rng = random.Random(seed)
    with open(out, "w") as f:
        if shape == "random-unique":
            funcs = [f"pkg{rng.randrange(50):02d}.fn{i:04d}" for i in range(2000)]
            for _ in range(int(400_000 * scale)):
                depth = rng.randint(5, 40)
                f.write(";".join(rng.choice(funcs) for _ in range(depth)) + f" {rng.randint(1, 100)}\n")
        elif shape == "wide-flat":
            for i in range(int(1_000_000 * scale)):
                f.write(f"main;dispatch;handler_{i:07d} {rng.randint(1, 9)}\n")
        elif shape == "long-names":
            def symbol(i):
                ns = "::".join(f"namespace_{(i * 7 + k) % 13}" for k in range(6))
                args = ", ".join(f"std::vector<std::pair<std::string, Widget{(i + k) % 17}>>" for k in range(3))
                return f"{ns}::Class{i % 97}<T{i % 5}>::method_{i}({args})"[:300]
            names = [symbol(i) for i in range(5000)]
            for _ in range(int(25_000 * scale)):
                depth = rng.randint(8, 30)
                start = rng.randrange(len(names) - depth)
                f.write(";".join(names[start:start + depth]) + f" {rng.randint(1, 50)}\n")
        elif shape == "fractional":
            funcs = [f"mod{i % 40}.fn{i}" for i in range(3000)]
            for _ in range(int(500_000 * scale)):
                depth = rng.randint(3, 25)
                f.write(";".join(funcs[rng.randrange(297) * 10 + k] for k in range(depth)) + f" {rng.randint(1, 4000) / 1000}\n")
        elif shape == "differential":
            funcs = [f"svc{i % 30}.op{i}" for i in range(2000)]
            for _ in range(int(500_000 * scale)):
                depth = rng.randint(3, 30)
                base = rng.randrange(len(funcs) - depth)
                before = rng.randint(0, 100)
                f.write(";".join(funcs[base:base + depth]) + f" {before} {max(0, before + rng.randint(-20, 30))}\n")
        else:
            sys.exit(f"unknown shape {shape}")


if __name__ == "__main__":
    main()
