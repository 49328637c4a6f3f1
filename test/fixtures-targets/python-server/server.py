import sys
print("python-server", sys.argv[1:])
