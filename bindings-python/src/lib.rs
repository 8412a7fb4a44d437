//! Python bindings (skeleton; being written).
