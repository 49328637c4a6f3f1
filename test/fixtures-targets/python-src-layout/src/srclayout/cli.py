class App:
    def run(self):
        print("srclayout app.run")
        return 0


app = App()
