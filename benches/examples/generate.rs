//! Prints a generated model as JSON: `cargo run -p circ-benches --example generate -- 200 1600 7`
//! (processes, flows, seed), to try the CLI on a large model; `-- staged 200 7` prints
//! [`circ_benches::staged_model`] instead.
fn main() {
    if std::env::args().nth(1).as_deref() == Some("staged") {
        let n: Vec<usize> = std::env::args()
            .skip(2)
            .map(|a| a.parse().expect("numbers: processes seed"))
            .collect();
        let (p, s) = (
            n.first().copied().unwrap_or(200),
            n.get(1).copied().unwrap_or(7),
        );
        println!("{}", circ_benches::staged_model(p, s as u64));
        return;
    }
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("numbers: processes flows seed"))
        .collect();
    let (processes, flows, seed) = match args[..] {
        [p, f, s] => (p, f, s as u64),
        [p, f] => (p, f, 42),
        _ => (200, 1600, 42),
    };
    println!("{}", circ_benches::generated_model(processes, flows, seed));
}
