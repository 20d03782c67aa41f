"""What people see: the terminal, files, charts and the comparison page, in one style."""
