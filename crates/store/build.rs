// `refinery::embed_migrations!` includes each migration file it finds, so
// edits to an existing file rebuild the crate; a *new* file does not unless
// cargo is told to watch the directory.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
