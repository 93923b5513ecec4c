//! Small helpers for the plain-English text every stage writes.

/// "a", "a or b", "a, b or c": items joined as in a sentence with `word`
/// ("and", "or") before the last; empty for no items.
pub(crate) fn join<S: AsRef<str>>(items: &[S], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [rest @ .., last] => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} {word} {}", rest.join(", "), last.as_ref())
        }
    }
}
