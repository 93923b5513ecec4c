fn main() {
    let path = std::env::args().nth(1).unwrap();
    let src = std::fs::read_to_string(&path).unwrap();
    match mandate::syntax::parse(&src) {
        Ok(f) => println!("{}", serde_json::to_string_pretty(&f).unwrap()),
        Err(e) => println!("ERR {e} at {} help: {}", e.span(), e.help()),
    }
}
