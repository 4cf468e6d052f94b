"""What several test modules share: films, catalogues, page readers, signed-in members."""
