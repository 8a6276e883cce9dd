"""Pipeline stages: load -> schema -> build -> render -> write, each a module; a stage imports only earlier ones."""
