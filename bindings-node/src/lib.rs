//! Node bindings (skeleton; being written).
