import InyeonService
import ArgumentParser
print("hi")
