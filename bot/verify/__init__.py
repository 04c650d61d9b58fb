"""The go/no-go gate (`bot gate`) and the acceptance criteria checked against the live stack (`bot verify`)."""
