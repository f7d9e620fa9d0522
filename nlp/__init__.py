"""Vietnamese text normalisation, signals, fact matching and the relevance/sentiment/misinfo models."""
