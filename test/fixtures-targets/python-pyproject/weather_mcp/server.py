import os


def main():
    print("weather-mcp main ran in", os.path.basename(os.getcwd()))
    return 0
