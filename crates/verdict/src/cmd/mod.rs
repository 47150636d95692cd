//! One module per subcommand: its arguments and what it does.

pub mod catalog;
pub mod choose;
pub mod extract;
pub mod films;
pub mod follow;
pub mod import;
pub mod ingest;
pub mod judge;
pub mod rating;
pub mod remove;
pub mod serve;
pub mod sync;
