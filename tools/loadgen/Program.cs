return 0; // replaced by the load generator CLI
