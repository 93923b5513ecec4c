//! "Did you mean": the closest known name to a mistyped one.

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo (a small edit distance relative to the length).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(&str, usize)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let distance = strsim::damerau_levenshtein(word, candidate);
        // About one edit per three characters: none for very short names,
        // where any other short name would look "close".
        let allowed = word.chars().count().max(candidate.chars().count()) / 3;
        if distance <= allowed && best.is_none_or(|(_, d)| distance < d) {
            best = Some((candidate, distance));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn finds_close_names_only() {
        let known = ["interface.outpatients", "services.virtual_wards", "funding"];
        assert_eq!(
            did_you_mean("interface.outpatient", known),
            Some("interface.outpatients")
        );
        assert_eq!(did_you_mean("fundng", known), Some("funding"));
        assert_eq!(did_you_mean("estates", known), None);
    }
}
