# csvcount.py - the Python peer: rows of a CSV file through the csv module.
# usage: python3 csvcount.py FILE
import csv
import sys

n = 0
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for _ in csv.reader(f):
        n += 1
print(n)
