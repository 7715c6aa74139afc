"""Release: dbt builds the lake into a new warehouse file, which becomes current only if every test passed."""
