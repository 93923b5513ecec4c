//! Small helpers for the plain-English text every stage writes.

/// Most names listed in one message about a rule file or an unknown id
/// (the organisations owning a rule's topics, the representatives to
/// choose from): past it, "and N more".
pub const MAX_NAMES_LISTED: usize = 5;

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

/// `text` with its first letter a capital: "the Board" -> "The Board".
pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// Like [`join`], but naming at most `limit` items: "a, b, c and 12 more".
/// For messages that list what a file declares, which may be thousands.
pub(crate) fn join_at_most<S: AsRef<str>>(items: &[S], word: &str, limit: usize) -> String {
    match items.get(..limit) {
        Some(shown) if items.len() > limit => {
            let shown: Vec<&str> = shown.iter().map(AsRef::as_ref).collect();
            format!("{} {word} {} more", shown.join(", "), items.len() - limit)
        }
        _ => join(items, word),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_at_most_a_few() {
        assert_eq!(join_at_most(&["a", "b"], "and", 2), "a and b");
        assert_eq!(join_at_most(&["a", "b", "c"], "and", 2), "a, b and 1 more");
        assert_eq!(join_at_most::<&str>(&[], "or", 2), "");
    }
}
