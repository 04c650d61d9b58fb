// Stand-in for reflect-metadata (only routing-controllers' decorators need it).
