"""Second server stacks that serve the simulator app, to test the client against."""
