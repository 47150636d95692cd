//! Verdict's application layer: the [`pipeline`] that runs a document
//! through every stage (source → document → extract → judge → resolve →
//! store) and the [`present`]ation of stored films (JSON and text).
//!
//! The binary (`src/main.rs`) is a thin command line over this library; a
//! web server will be another thin layer over the same functions.

pub mod pipeline;
pub mod present;
