"""The embedded profile's VectorIndex: exact k-NN with numpy over vectors kept in a SQLite file."""
