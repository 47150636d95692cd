//! One module per subcommand: its arguments and what it does.

pub mod extract;
pub mod films;
pub mod ingest;
pub mod rating;
pub mod train;
