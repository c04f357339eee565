//! Serde types for the Web API's response objects.
