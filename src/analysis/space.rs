//! The finite space of proposals for one topic region: which values of
//! each field the rules can tell apart, and every combination of them.
//!
//! Every comparison in a condition compares a field with literals (or, more
//! rarely, with another field), `at` compares the forum with a literal and
//! the gates compare the forum and the date with the representative's. So
//! the literals cut each field's values into finitely many *cells* (each
//! literal, the open intervals between and beyond them, any other text, a
//! value of another type, not given), and two proposals whose fields fall
//! in the same cells get the same truth from every comparison. This module
//! builds those cells from candidate values (one per cell, or several when
//! two fields are compared with each other), groups candidates whose
//! comparisons all agree into *classes*, and walks every combination of
//! classes: the *grid*. A rule's truth on a grid cell is then a lookup, and
//! the grid covers every proposal with that topic.
//!
//! Everything is evaluated with the check's own [`logic::evaluate`] on the
//! JSON a proposal would carry, so the space cannot disagree with the
//! check about what a comparison means.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde_json::{Map, Value as Json};

use crate::check::logic::{self, Truth};
use crate::compile::{Effect, Expr, Mandate, Operand, Representative, Value};

/// Most candidate tuples one group of related fields may have before the
/// space is refused as too large to enumerate.
pub(crate) const MAX_GROUP_TUPLES: usize = 20_000;

/// Most comparisons made while sorting one group's candidates into
/// classes (candidates times the cost of testing each).
pub(crate) const MAX_GROUP_WORK: usize = 5_000_000;

/// Most cells one grid may have.
pub(crate) const MAX_GRID_CELLS: u64 = 2_000_000;

/// Most literals looked for with `contains` in one field before the
/// combinations of them are no longer all tried.
const MAX_CONTAINS_LITERALS: usize = 8;

/// Longest text literal whose every part is tried as a value of a field
/// the literal is searched for (`"abc" contains field`).
const MAX_SUBSTRING_SOURCE: usize = 12;

/// The proposal keys the check reads itself, with the values a proposal
/// may give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Any JSON value, or not given.
    Field,
    /// `forum`: a text from the forums the scope allows, or not given when
    /// it allows that.
    Forum,
    /// `date`: a calendar date, or not given when the scope allows that.
    Date,
    /// `title`: always a text.
    Title,
    /// `topics`: always the region's one topic.
    Topics,
    /// `id`, `representative`: a text, or not given.
    Text,
}

fn role(path: &str) -> Role {
    match path {
        "forum" => Role::Forum,
        "date" => Role::Date,
        "title" => Role::Title,
        "topics" => Role::Topics,
        "id" | "representative" => Role::Text,
        _ => Role::Field,
    }
}

/// What a space is built for: whose rules, which topic, which forums and
/// dates a proposal may have.
pub(crate) struct Scope<'m> {
    /// The representatives (indices into the mandate's), each with the
    /// rules (indices into theirs) that match the topic.
    pub reps: Vec<(usize, Vec<usize>)>,
    /// The topic every proposal of the space has.
    pub topic: String,
    /// The forums a proposal may be put to; `None` in the list is "names no
    /// forum".
    pub forums: Vec<Option<String>>,
    /// Whether a proposal may leave out its `date` (the day of the check
    /// stands in for the gates).
    pub dateless: bool,
    /// The day of the check.
    pub today: NaiveDate,
    /// The mandate.
    pub mandate: &'m Mandate,
}

/// A comparison the grid gives a truth to.
#[derive(Debug, Clone)]
enum Atom<'m> {
    /// A comparison in a `when` (a leaf of the condition).
    Leaf(&'m Expr),
    /// `at "F"`.
    At(&'m str),
    /// Representative `r`'s forum gate.
    Attends(usize),
    /// Representative `r`'s date gate.
    InForce(usize),
}

/// A rule's condition over atoms.
#[derive(Debug, Clone)]
enum Formula {
    Atom(usize),
    And(Vec<Formula>),
    Or(Vec<Formula>),
    Not(Box<Formula>),
}

impl Formula {
    fn eval(&self, truths: &[Truth]) -> Truth {
        match self {
            Formula::Atom(i) => truths.get(*i).copied().unwrap_or(Truth::Unknown),
            Formula::And(terms) => terms.iter().fold(Truth::True, |t, f| t.and(f.eval(truths))),
            Formula::Or(terms) => terms.iter().fold(Truth::False, |t, f| t.or(f.eval(truths))),
            Formula::Not(inner) => !inner.eval(truths),
        }
    }
}

/// A value a field is given in a candidate proposal: `None` leaves it out.
pub(crate) type Given = Option<Json>;

/// One elementary cell of a field's values: the candidate stands for every
/// value in it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// Not given (or `null`, or an object when nothing below it is read).
    Absent,
    /// Exactly this number.
    Number(f64),
    /// A number strictly between the two (either end open).
    NumberBetween(Option<f64>, Option<f64>),
    /// Exactly this date (a text `YYYY-MM-DD`, or the proposal's date).
    Date(NaiveDate),
    /// A date strictly between the two.
    DateBetween(Option<NaiveDate>, Option<NaiveDate>),
    /// Exactly this text.
    Text(String),
    /// A text equal to none of the literals, containing exactly these of
    /// the texts looked for (and not a date, when dates are compared).
    OtherText(Vec<String>),
    /// `true` or `false`.
    Bool(bool),
    /// A list holding exactly these of the values looked for.
    List(Vec<Json>),
    /// An object (whose fields are read separately).
    Object,
}

/// A field of a group and what it was compared with.
#[derive(Debug, Clone)]
struct Variable {
    path: String,
    role: Role,
    numbers: Vec<f64>,
    dates: Vec<NaiveDate>,
    texts: Vec<String>,
    /// Texts (or values) looked for in it with `contains`.
    looked_for: Vec<Value>,
    /// Texts it is looked for in (`"abc" contains field`).
    containers: Vec<String>,
    /// Whether it is compared with a date, so a text of the form
    /// YYYY-MM-DD is a date.
    date_compared: bool,
}

/// Fields read together (compared with each other, or one below another)
/// and the classes of their candidate values.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    /// The fields' paths.
    pub paths: Vec<String>,
    /// Candidate tuples: per field, the value given (or left out) and the
    /// cell it stands for.
    tuples: Vec<Vec<(Given, Cell)>>,
    /// The atoms of the group, in order.
    atoms: Vec<usize>,
    /// The classes: candidates whose atoms all have the same truth.
    pub classes: Vec<Class>,
    /// Per field, whether it is compared with dates.
    date_compared: Vec<bool>,
    /// Per field, the kinds of value its comparisons can tell apart.
    listy: Vec<Wants>,
}

/// Candidates that every comparison of their group treats alike.
#[derive(Debug, Clone)]
pub(crate) struct Class {
    /// The truth of each of the group's atoms.
    signature: Vec<Truth>,
    /// The candidate tuples in it (indices into the group's), first the
    /// one a witness uses.
    members: Vec<usize>,
}

/// Why a space is not a proof of what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inexact {
    /// Too many combinations to walk.
    TooLarge,
    /// Some values are sampled, not all covered: said why.
    Sampled(String),
}

/// The space of one topic region, for one scope.
pub(crate) struct Space<'m> {
    pub scope: Scope<'m>,
    atoms: Vec<Atom<'m>>,
    /// Per scope representative, per matched rule: its formula (`at` and
    /// `when` together).
    formulas: Vec<Vec<Formula>>,
    /// Per scope representative: their forum gate and date gate atoms.
    gates: Vec<(Option<usize>, Option<usize>)>,
    /// Per scope representative, per matched rule: its effect and line.
    rules: Vec<Vec<(Effect, u32)>>,
    pub groups: Vec<Group>,
    /// Atoms read by no field: their one truth.
    constants: Vec<(usize, Truth)>,
    /// Why "nothing found" in this space would not be a proof, if so.
    pub inexact: Option<Inexact>,
}

/// One representative's answer on one grid cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Answer {
    pub outcome: crate::check::Outcome,
    pub attends: bool,
    pub in_force: bool,
}

impl<'m> Space<'m> {
    /// Builds the space; `Err` when a group of fields has too many
    /// candidates to enumerate.
    pub fn build(scope: Scope<'m>) -> Space<'m> {
        let mandate = scope.mandate;
        let mut atoms: Vec<Atom<'m>> = Vec::new();
        // Interned by identity: the same comparison written twice is two
        // atoms, which costs a little and changes nothing.
        let mut keys: HashMap<(u8, usize, &'m str), usize> = HashMap::new();
        let mut intern = |atom: Atom<'m>, atoms: &mut Vec<Atom<'m>>| -> usize {
            let key = match &atom {
                Atom::Leaf(expr) => (0, std::ptr::from_ref::<Expr>(expr) as usize, ""),
                Atom::At(forum) => (1, 0, *forum),
                Atom::Attends(r) => (2, *r, ""),
                Atom::InForce(r) => (3, *r, ""),
            };
            *keys.entry(key).or_insert_with(|| {
                atoms.push(atom);
                atoms.len() - 1
            })
        };
        let mut formulas = Vec::new();
        let mut gates = Vec::new();
        for (rep_index, rules) in &scope.reps {
            let Some(rep) = mandate.representatives.get(*rep_index) else {
                formulas.push(Vec::new());
                gates.push((None, None));
                continue;
            };
            let mut own = Vec::new();
            for rule_index in rules {
                let Some(rule) = rep.rules.get(*rule_index) else {
                    continue;
                };
                let mut parts = Vec::new();
                if let Some(forum) = &rule.forum {
                    parts.push(Formula::Atom(intern(Atom::At(forum), &mut atoms)));
                }
                if let Some(expr) = &rule.condition {
                    parts.push(formula(expr, &mut |leaf| {
                        intern(Atom::Leaf(leaf), &mut atoms)
                    }));
                }
                own.push(Formula::And(parts));
            }
            formulas.push(own);
            let attends =
                (!rep.forums.is_empty()).then(|| intern(Atom::Attends(*rep_index), &mut atoms));
            let in_force = (rep.valid_from.is_some() || rep.valid_until.is_some())
                .then(|| intern(Atom::InForce(*rep_index), &mut atoms));
            gates.push((attends, in_force));
        }
        let rules = scope
            .reps
            .iter()
            .map(|(rep, rules)| {
                mandate
                    .representatives
                    .get(*rep)
                    .map(|rep| {
                        rules
                            .iter()
                            .filter_map(|i| rep.rules.get(*i).map(|r| (r.effect, r.line)))
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect();
        let mut space = Space {
            scope,
            atoms,
            formulas,
            gates,
            rules,
            groups: Vec::new(),
            constants: Vec::new(),
            inexact: None,
        };
        space.build_groups();
        space
    }

    fn rep(&self, index: usize) -> Option<&'m Representative> {
        self.scope.mandate.representatives.get(index)
    }

    /// The fields an atom reads.
    fn reads(&self, atom: &Atom<'_>) -> Vec<String> {
        match atom {
            Atom::Leaf(expr) => {
                let mut paths = Vec::new();
                crate::wording::condition::fields_of(
                    expr,
                    &mut paths,
                    &mut std::collections::HashSet::new(),
                );
                paths.into_iter().map(str::to_string).collect()
            }
            Atom::At(_) | Atom::Attends(_) => vec!["forum".into()],
            Atom::InForce(_) => vec!["date".into()],
        }
    }

    fn build_groups(&mut self) {
        // Union the fields an atom reads together, and a field with those
        // below it (`budget` and `budget.recurrent` cannot be chosen apart).
        let mut paths: Vec<String> = Vec::new();
        let mut atom_paths: Vec<Vec<usize>> = Vec::new();
        let mut position: HashMap<String, usize> = HashMap::new();
        for atom in &self.atoms {
            let mut ids = Vec::new();
            for path in self.reads(atom) {
                let id = *position.entry(path.clone()).or_insert_with(|| {
                    paths.push(path.clone());
                    paths.len() - 1
                });
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            atom_paths.push(ids);
        }
        let mut parent: Vec<usize> = (0..paths.len()).collect();
        fn find(parent: &mut [usize], mut i: usize) -> usize {
            while let Some(&p) = parent.get(i) {
                if p == i {
                    break;
                }
                let grand = parent.get(p).copied().unwrap_or(p);
                if let Some(slot) = parent.get_mut(i) {
                    *slot = grand;
                }
                i = p;
            }
            i
        }
        let union = |parent: &mut Vec<usize>, a: usize, b: usize| {
            let (ra, rb) = (find(parent, a), find(parent, b));
            if ra != rb {
                if let Some(slot) = parent.get_mut(ra.max(rb)) {
                    *slot = ra.min(rb);
                }
            }
        };
        for ids in &atom_paths {
            for pair in ids.windows(2) {
                if let [a, b] = pair {
                    union(&mut parent, *a, *b);
                }
            }
        }
        for (i, a) in paths.iter().enumerate() {
            for (j, b) in paths.iter().enumerate() {
                if i != j && crate::topic::pattern_matches(a, b) {
                    union(&mut parent, i, j);
                }
            }
        }
        // Groups in the order their first field was read.
        let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..paths.len() {
            let root = find(&mut parent, i);
            members.entry(root).or_default().push(i);
        }
        let mut group_of_path: HashMap<usize, usize> = HashMap::new();
        let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
        for ids in members.into_values() {
            for id in &ids {
                group_of_path.insert(*id, groups.len());
            }
            groups.push((ids, Vec::new()));
        }
        for (atom, ids) in atom_paths.iter().enumerate() {
            match ids.first().and_then(|id| group_of_path.get(id)) {
                Some(g) => {
                    if let Some((_, atoms)) = groups.get_mut(*g) {
                        atoms.push(atom);
                    }
                }
                None => {
                    let truth = self
                        .atoms
                        .get(atom)
                        .map_or(Truth::Unknown, |a| self.truth(a, &Map::new()));
                    self.constants.push((atom, truth));
                }
            }
        }
        for (ids, atoms) in groups {
            let names: Vec<String> = ids.iter().filter_map(|i| paths.get(*i).cloned()).collect();
            match self.group(names, atoms) {
                Ok(group) => self.groups.push(group),
                Err(why) => {
                    self.inexact = Some(why);
                    self.groups.clear();
                    return;
                }
            }
        }
        if self.cells() > MAX_GRID_CELLS {
            self.inexact = Some(Inexact::TooLarge);
        }
    }

    /// The truth of an atom for a proposal whose JSON fields are `fields`.
    fn truth(&self, atom: &Atom<'_>, fields: &Map<String, Json>) -> Truth {
        let forum = || fields.get("forum").and_then(Json::as_str);
        match atom {
            Atom::Leaf(expr) => logic::evaluate(expr, fields).0,
            Atom::At(wanted) => match forum() {
                Some(f) if f == *wanted => Truth::True,
                Some(_) => Truth::False,
                None => Truth::Unknown,
            },
            Atom::Attends(rep) => bool_truth(self.rep(*rep).is_some_and(|r| r.attends(forum()))),
            Atom::InForce(rep) => {
                let date = fields
                    .get("date")
                    .and_then(Json::as_str)
                    .and_then(crate::proposal::parse_iso_date)
                    .unwrap_or(self.scope.today);
                bool_truth(self.rep(*rep).is_some_and(|r| r.in_force(date)))
            }
        }
    }

    fn group(&mut self, paths: Vec<String>, atoms: Vec<usize>) -> Result<Group, Inexact> {
        // What each field is compared with.
        let mut variables: Vec<Variable> = paths
            .iter()
            .map(|p| Variable {
                path: p.clone(),
                role: role(p),
                numbers: Vec::new(),
                dates: Vec::new(),
                texts: Vec::new(),
                looked_for: Vec::new(),
                containers: Vec::new(),
                date_compared: false,
            })
            .collect();
        let mut related = false;
        for atom in &atoms {
            let Some(atom) = self.atoms.get(*atom) else {
                continue;
            };
            match atom {
                Atom::Leaf(expr) => {
                    related |= collect(expr, &mut variables, &mut self.inexact);
                    if let Expr::Contains(a, b) = expr {
                        let special = [a, b]
                            .iter()
                            .any(|o| matches!(o, Operand::Field(f) if f == "forum" || f == "date"));
                        if special {
                            self.inexact.get_or_insert(Inexact::Sampled(
                                "a condition searches the proposal's `forum` or `date` as a text; the analysis tries only the forums and days the mandate names".into(),
                            ));
                        }
                    }
                }
                Atom::At(forum) => {
                    if let Some(v) = variables.iter_mut().find(|v| v.path == "forum") {
                        v.texts.push((*forum).to_string());
                    }
                }
                Atom::Attends(rep) => {
                    if let (Some(v), Some(rep)) = (
                        variables.iter_mut().find(|v| v.path == "forum"),
                        self.scope.mandate.representatives.get(*rep),
                    ) {
                        v.texts.extend(rep.forums.iter().cloned());
                    }
                }
                Atom::InForce(rep) => {
                    if let (Some(v), Some(rep)) = (
                        variables.iter_mut().find(|v| v.path == "date"),
                        self.scope.mandate.representatives.get(*rep),
                    ) {
                        v.dates.extend(rep.valid_from);
                        v.dates.extend(rep.valid_until);
                        v.date_compared = true;
                    }
                }
            }
        }
        for v in &mut variables {
            v.looked_for = dedup(&v.looked_for);
            v.containers = dedup(&v.containers);
        }
        // Two fields compared with each other need as many values in each
        // interval as there are fields, so every order between them is tried.
        let width = if related { paths.len() } else { 1 };
        let has_children: Vec<bool> = paths
            .iter()
            .map(|p| {
                paths
                    .iter()
                    .any(|q| q != p && crate::topic::pattern_matches(p, q))
            })
            .collect();
        let mut per_variable = Vec::new();
        for (v, children) in variables.iter().zip(&has_children) {
            per_variable.push(self.candidates(v, width, *children)?);
        }
        let tuples = product(&paths, &per_variable)?;
        // Each candidate is tested against every comparison of the group:
        // bound that work too (long `in` lists make each test cost).
        let cost_per_tuple: usize = atoms
            .iter()
            .map(|a| match self.atoms.get(*a) {
                Some(Atom::Leaf(Expr::In(_, list))) => 1 + list.len(),
                _ => 1,
            })
            .sum();
        if tuples.len().saturating_mul(cost_per_tuple) > MAX_GROUP_WORK {
            return Err(Inexact::TooLarge);
        }
        // Classes: candidates whose atoms all agree.
        let mut classes: Vec<Class> = Vec::new();
        let mut by_signature: HashMap<Vec<Truth>, usize> = HashMap::new();
        for (index, tuple) in tuples.iter().enumerate() {
            let fields = fields_of(&paths, tuple);
            let signature: Vec<Truth> = atoms
                .iter()
                .map(|a| {
                    self.atoms
                        .get(*a)
                        .map_or(Truth::Unknown, |atom| self.truth(atom, &fields))
                })
                .collect();
            match by_signature.get(&signature) {
                Some(c) => {
                    if let Some(class) = classes.get_mut(*c) {
                        class.members.push(index);
                    }
                }
                None => {
                    by_signature.insert(signature.clone(), classes.len());
                    classes.push(Class {
                        signature,
                        members: vec![index],
                    });
                }
            }
        }
        // The first member of a class is the witness's: prefer values given,
        // lists for a field looked in with `contains`.
        let listy: Vec<Wants> = variables.iter().map(Wants::of).collect();
        // And the day of the check over another day of the same class.
        let today = Json::String(self.scope.today.to_string());
        let not_today = |t: &Vec<(Given, Cell)>| {
            !t.iter().any(|(g, c)| {
                matches!(c, Cell::Date(_) | Cell::DateBetween(..)) && g.as_ref() == Some(&today)
            })
        };
        for class in &mut classes {
            class.members.sort_by_key(|m| {
                tuples
                    .get(*m)
                    .map_or((0, true), |t| (plainness(t, &listy), not_today(t)))
            });
        }
        Ok(Group {
            listy,
            date_compared: variables
                .iter()
                .map(|v| v.date_compared || v.role == Role::Date)
                .collect(),
            paths,
            tuples,
            atoms,
            classes,
        })
    }

    /// The candidate values of one field: one per cell (`width` per
    /// interval when fields are compared with each other).
    fn candidates(
        &mut self,
        v: &Variable,
        width: usize,
        children: bool,
    ) -> Result<Vec<(Given, Cell)>, Inexact> {
        let mut out: Vec<(Given, Cell)> = Vec::new();
        let absent_allowed = match v.role {
            Role::Field | Role::Text => true,
            Role::Forum => self.scope.forums.iter().any(Option::is_none),
            Role::Date => self.scope.dateless,
            Role::Title | Role::Topics => false,
        };
        if absent_allowed {
            out.push((None, Cell::Absent));
        }
        match v.role {
            Role::Topics => {
                self.inexact.get_or_insert(Inexact::Sampled(
                    "a condition reads `topics`, so proposals with several topics could be decided otherwise than their topics one by one".into(),
                ));
                out.push((
                    Some(Json::Array(vec![Json::String(self.scope.topic.clone())])),
                    Cell::List(Vec::new()),
                ));
                return Ok(out);
            }
            Role::Forum => {
                // Only the forums of the scope, whatever the rules name.
                for forum in self.scope.forums.iter().flatten() {
                    let cell = if v.texts.contains(forum) {
                        Cell::Text(forum.clone())
                    } else {
                        Cell::OtherText(Vec::new())
                    };
                    if !out.iter().any(|(_, c)| *c == cell) || width > 1 {
                        out.push((Some(Json::String(forum.clone())), cell));
                    }
                }
                return Ok(out);
            }
            Role::Date => {
                for (day, cell) in date_points(&v.dates, width, self.scope.today) {
                    out.push((Some(Json::String(day.to_string())), cell));
                }
                return Ok(out);
            }
            Role::Field | Role::Title | Role::Text => {}
        }
        let any_type = v.role == Role::Field;
        if any_type {
            out.push((Some(Json::Bool(true)), Cell::Bool(true)));
            out.push((Some(Json::Bool(false)), Cell::Bool(false)));
            for (x, cell) in number_points(&v.numbers, width) {
                out.push((Some(number_json(x)), cell));
            }
        }
        // Texts.
        let mut literals: Vec<String> = v.texts.clone();
        let looked_texts: Vec<String> = v
            .looked_for
            .iter()
            .filter_map(|x| match x {
                Value::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        if v.containers
            .iter()
            .any(|c| c.chars().count() > MAX_SUBSTRING_SOURCE)
        {
            self.inexact.get_or_insert(Inexact::Sampled(format!(
                "`{}` is looked for in a text longer than {MAX_SUBSTRING_SOURCE} characters",
                v.path
            )));
        }
        for container in &v.containers {
            if container.chars().count() <= MAX_SUBSTRING_SOURCE {
                literals.extend(substrings(container));
            } else {
                literals.push(container.clone());
            }
        }
        if v.date_compared {
            for (day, cell) in date_points(&v.dates, width, self.scope.today) {
                out.push((Some(Json::String(day.to_string())), cell));
            }
            if !looked_texts.is_empty() {
                self.inexact.get_or_insert(Inexact::Sampled(format!(
                    "`{}` is compared with dates and searched for texts",
                    v.path
                )));
            }
        }
        let is_date_text =
            |s: &str| v.date_compared && crate::proposal::parse_iso_date(s).is_some();
        literals.sort();
        literals.dedup();
        for s in &literals {
            if !is_date_text(s) {
                out.push((Some(Json::String(s.clone())), Cell::Text(s.clone())));
            }
        }
        if looked_texts.len() > MAX_CONTAINS_LITERALS {
            self.inexact.get_or_insert(Inexact::Sampled(format!(
                "`{}` is searched for more than {MAX_CONTAINS_LITERALS} texts",
                v.path
            )));
        }
        let mut all: Vec<&str> = literals.iter().map(String::as_str).collect();
        all.extend(looked_texts.iter().map(String::as_str));
        let sep = separator(&all);
        let fresh = fresh_texts(&literals, &looked_texts, &v.containers, &sep, width);
        let limited: Vec<&String> = looked_texts.iter().take(MAX_CONTAINS_LITERALS).collect();
        for mask in 0..(1usize << limited.len()) {
            let chosen: Vec<&str> = limited
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, s)| s.as_str())
                .collect();
            let joined = chosen.join(&sep);
            // A plain word before the empty text, so a witness reads well.
            let mut texts: Vec<String> = fresh
                .iter()
                .map(|filler| {
                    if joined.is_empty() {
                        filler.clone()
                    } else {
                        format!("{joined}{sep}{filler}")
                    }
                })
                .collect();
            texts.insert(
                usize::from(joined.is_empty()).min(texts.len()),
                joined.clone(),
            );
            for text in texts {
                if literals.contains(&text) || is_date_text(&text) {
                    continue;
                }
                let containing: Vec<String> = looked_texts
                    .iter()
                    .filter(|l| text.contains(l.as_str()))
                    .cloned()
                    .collect();
                let cell = Cell::OtherText(containing);
                let seen = out.iter().filter(|(_, c)| *c == cell).count();
                if seen < width {
                    out.push((Some(Json::String(text)), cell));
                }
            }
        }
        if matches!(v.role, Role::Title) || v.path == "id" {
            // A proposal cannot give these as an empty text.
            out.retain(|(given, _)| {
                given
                    .as_ref()
                    .and_then(Json::as_str)
                    .is_none_or(|t| !t.trim().is_empty())
            });
        }
        if any_type {
            // Lists: which of the values looked for they hold.
            let items: Vec<&Value> = v.looked_for.iter().take(MAX_CONTAINS_LITERALS).collect();
            for mask in 0..(1usize << items.len()) {
                let chosen: Vec<Json> = items
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .filter_map(|(_, x)| value_json(x))
                    .collect();
                let cell = Cell::List(chosen.clone());
                if !out.iter().any(|(_, c)| *c == cell) {
                    out.push((Some(Json::Array(chosen)), cell));
                }
            }
            if children {
                out.push((Some(Json::Object(Map::new())), Cell::Object));
            }
        }
        Ok(out)
    }

    /// Whether the one field of group `g` is compared with dates.
    pub fn dates_compared(&self, g: usize) -> bool {
        self.groups
            .get(g)
            .is_some_and(|g| g.date_compared.iter().any(|d| *d))
    }

    /// How plain the first member of a class of group `g` is (lower is
    /// plainer: values given, of the type the rules compare).
    pub fn class_plainness(&self, g: usize, class: usize) -> usize {
        self.groups
            .get(g)
            .and_then(|g| {
                let m = g.classes.get(class)?.members.first()?;
                g.tuples.get(*m).map(|t| plainness(t, &g.listy))
            })
            .unwrap_or(usize::MAX)
    }

    /// How many cells the grid has.
    pub fn cells(&self) -> u64 {
        self.groups
            .iter()
            .fold(1u64, |n, g| n.saturating_mul(g.classes.len().max(1) as u64))
    }

    /// Calls `visit` with every grid cell (one class per group) and the
    /// truth of every atom there.
    pub fn walk(&self, mut visit: impl FnMut(&[usize], &[Truth])) {
        if self.inexact == Some(Inexact::TooLarge) {
            return;
        }
        let mut truths = vec![Truth::Unknown; self.atoms.len()];
        for (atom, truth) in &self.constants {
            if let Some(slot) = truths.get_mut(*atom) {
                *slot = *truth;
            }
        }
        let mut cell = vec![0usize; self.groups.len()];
        if self.groups.iter().any(|g| g.classes.is_empty()) {
            return;
        }
        for g in 0..self.groups.len() {
            self.fill(g, 0, &mut truths);
        }
        loop {
            visit(&cell, &truths);
            // The next cell, like an odometer.
            let mut g = 0;
            loop {
                let Some((digit, group)) = cell.get_mut(g).zip(self.groups.get(g)) else {
                    return;
                };
                *digit += 1;
                if *digit < group.classes.len() {
                    let d = *digit;
                    self.fill(g, d, &mut truths);
                    break;
                }
                *digit = 0;
                self.fill(g, 0, &mut truths);
                g += 1;
            }
        }
    }

    fn fill(&self, group: usize, class: usize, truths: &mut [Truth]) {
        let Some(group) = self.groups.get(group) else {
            return;
        };
        let Some(class) = group.classes.get(class) else {
            return;
        };
        for (atom, truth) in group.atoms.iter().zip(&class.signature) {
            if let Some(slot) = truths.get_mut(*atom) {
                *slot = *truth;
            }
        }
    }

    /// The truth of each matched rule of scope representative `r`, into a
    /// buffer kept between cells.
    pub fn rule_truths_into(&self, r: usize, truths: &[Truth], out: &mut Vec<Truth>) {
        out.clear();
        if let Some(rules) = self.formulas.get(r) {
            out.extend(rules.iter().map(|f| f.eval(truths)));
        }
    }

    /// Scope representative `r`'s answer on a cell, from their rules'
    /// truths, leaving out the matched rules `skip` says to.
    pub fn answer(
        &self,
        r: usize,
        rule_truths: &[Truth],
        truths: &[Truth],
        skip: impl Fn(usize) -> bool,
    ) -> Answer {
        let rules = self
            .rules(r)
            .iter()
            .zip(rule_truths)
            .enumerate()
            .filter(|(i, _)| !skip(*i))
            .map(|(_, ((e, _), t))| (*e, *t));
        let topic = crate::check::rules_outcome(rules);
        let (attends, in_force) = self.gates.get(r).copied().unwrap_or((None, None));
        let holds =
            |gate: Option<usize>| gate.is_none_or(|a| truths.get(a).copied() == Some(Truth::True));
        let (attends, in_force) = (holds(attends), holds(in_force));
        let outcome = if attends && in_force {
            topic
        } else {
            topic.max(crate::check::Outcome::Refer)
        };
        Answer {
            outcome,
            attends,
            in_force,
        }
    }

    /// The effect and line of each of scope representative `r`'s matched
    /// rules, in file order.
    pub fn rules(&self, r: usize) -> &[(Effect, u32)] {
        self.rules.get(r).map_or(&[], Vec::as_slice)
    }

    /// The fields a proposal on this cell gives, from the `choice`-th
    /// member of each class (wrapping round).
    pub fn fields_at(&self, cell: &[usize], choice: usize) -> Map<String, Json> {
        let mut fields = Map::new();
        for (group, class) in self.groups.iter().zip(cell) {
            let Some(class) = group.classes.get(*class) else {
                continue;
            };
            let members = &class.members;
            let Some(member) = members.get(choice % members.len().max(1)) else {
                continue;
            };
            if let Some(tuple) = group.tuples.get(*member) {
                merge_fields(&mut fields, &group.paths, tuple);
            }
        }
        fields
    }

    /// How many members the largest class of the cell has: how many
    /// different witnesses [`Space::fields_at`] can give.
    pub fn choices_at(&self, cell: &[usize]) -> usize {
        self.groups
            .iter()
            .zip(cell)
            .filter_map(|(g, c)| g.classes.get(*c).map(|c| c.members.len()))
            .max()
            .unwrap_or(1)
    }

    /// The elementary cells a class of a one-field group stands for.
    pub fn cells_of(&self, group: usize, class: usize) -> Vec<Cell> {
        let Some(group) = self.groups.get(group) else {
            return Vec::new();
        };
        let Some(class) = group.classes.get(class) else {
            return Vec::new();
        };
        class
            .members
            .iter()
            .filter_map(|m| group.tuples.get(*m))
            .filter_map(|t| t.first().map(|(_, cell)| cell.clone()))
            .collect()
    }

    /// The comparisons of a group and, per class given, their truths: how
    /// a class of several fields compared with each other is said.
    pub fn relations(&self, group: usize, classes: &[usize]) -> (Vec<&'m Expr>, Vec<Vec<Truth>>) {
        let Some(g) = self.groups.get(group) else {
            return (Vec::new(), Vec::new());
        };
        let mut exprs = Vec::new();
        let mut keep = Vec::new();
        for (k, atom) in g.atoms.iter().enumerate() {
            if let Some(Atom::Leaf(expr)) = self.atoms.get(*atom) {
                exprs.push(*expr);
                keep.push(k);
            }
        }
        let signatures = classes
            .iter()
            .filter_map(|c| g.classes.get(*c))
            .map(|c| {
                keep.iter()
                    .filter_map(|k| c.signature.get(*k).copied())
                    .collect()
            })
            .collect();
        (exprs, signatures)
    }
}

/// How plain a candidate is for a witness: values of the types the rules
/// compare first, a value left out last.
/// The kinds of value a field's comparisons tell apart.
#[derive(Debug, Clone, Copy, Default)]
struct Wants {
    numbers: bool,
    dates: bool,
    texts: bool,
    lists: bool,
}

impl Wants {
    fn of(v: &Variable) -> Wants {
        Wants {
            numbers: !v.numbers.is_empty(),
            dates: v.date_compared || v.role == Role::Date,
            texts: !v.texts.is_empty() || v.role != Role::Field,
            lists: !v.looked_for.is_empty(),
        }
    }
}

/// How plain a candidate is for a witness (lower is plainer): a value of
/// a kind the field is compared with, else leaving the field out, else a
/// value of another kind.
fn plainness(tuple: &[(Given, Cell)], wants: &[Wants]) -> usize {
    tuple
        .iter()
        .zip(
            wants
                .iter()
                .copied()
                .chain(std::iter::repeat(Wants::default())),
        )
        .map(|((_, cell), w)| match cell {
            Cell::Number(_) | Cell::NumberBetween(..) if w.numbers => 0,
            Cell::Date(_) | Cell::DateBetween(..) if w.dates => 0,
            Cell::Text(_) | Cell::OtherText(_) if w.texts && !w.lists => 0,
            Cell::List(_) if w.lists => 0,
            Cell::OtherText(_) if w.lists => 2,
            Cell::Absent => 1,
            Cell::Bool(_) => 2,
            Cell::Object => 2,
            _ => 3,
        })
        .sum()
}

fn bool_truth(b: bool) -> Truth {
    if b {
        Truth::True
    } else {
        Truth::False
    }
}

/// A condition as a formula over interned leaves.
fn formula<'m>(expr: &'m Expr, intern: &mut impl FnMut(&'m Expr) -> usize) -> Formula {
    match expr {
        Expr::And(terms) => Formula::And(terms.iter().map(|t| formula(t, intern)).collect()),
        Expr::Or(terms) => Formula::Or(terms.iter().map(|t| formula(t, intern)).collect()),
        Expr::Not(inner) => Formula::Not(Box::new(formula(inner, intern))),
        leaf => Formula::Atom(intern(leaf)),
    }
}

/// Records what a comparison compares each field with; true when it
/// compares two fields.
fn collect(expr: &Expr, variables: &mut [Variable], inexact: &mut Option<Inexact>) -> bool {
    let find = |variables: &mut [Variable], path: &str| -> Option<usize> {
        variables.iter().position(|v| v.path == path)
    };
    let note = |variables: &mut [Variable], path: &str, value: &Value| {
        if let Some(i) = find(variables, path) {
            if let Some(v) = variables.get_mut(i) {
                add_literal(v, value);
            }
        }
    };
    match expr {
        Expr::Compare(Operand::Field(a), _, Operand::Value(x))
        | Expr::Compare(Operand::Value(x), _, Operand::Field(a)) => {
            note(variables, a, x);
            false
        }
        Expr::Compare(Operand::Field(a), _, Operand::Field(b)) => {
            // Each takes the other's literals too, so every order is tried.
            share(variables, a, b);
            true
        }
        Expr::In(Operand::Field(a), list) => {
            for x in list {
                note(variables, a, x);
            }
            false
        }
        Expr::Contains(Operand::Field(a), Operand::Value(x)) => {
            if let Some(v) = find(variables, a).and_then(|i| variables.get_mut(i)) {
                v.looked_for.push(x.clone());
                if let Value::Date(_) = x {
                    add_literal(v, x);
                }
            }
            false
        }
        Expr::Contains(Operand::Value(container), Operand::Field(a)) => {
            if let Some(v) = find(variables, a).and_then(|i| variables.get_mut(i)) {
                match container {
                    Value::List(items) => {
                        for x in items {
                            add_literal(v, x);
                        }
                    }
                    Value::String(s) => v.containers.push(s.clone()),
                    _ => {}
                }
            }
            false
        }
        Expr::Contains(Operand::Field(a), Operand::Field(b)) => {
            share(variables, a, b);
            inexact.get_or_insert(Inexact::Sampled(format!(
                "a condition looks for `{b}` in `{a}`; the analysis tries the values the rules name, not every text"
            )));
            true
        }
        Expr::Test(_) | Expr::In(Operand::Value(_), _) | Expr::Compare(..) | Expr::Contains(..) => {
            false
        }
        Expr::And(_) | Expr::Or(_) | Expr::Not(_) => false,
    }
}

fn add_literal(v: &mut Variable, value: &Value) {
    match value {
        Value::Number(n) => v.numbers.push(*n),
        Value::String(s) => {
            v.texts.push(s.clone());
            if let Some(day) = crate::proposal::parse_iso_date(s) {
                v.dates.push(day);
            }
        }
        Value::Date(d) => {
            v.dates.push(*d);
            v.date_compared = true;
        }
        Value::Bool(_) => {}
        Value::List(items) => {
            for x in items {
                add_literal(v, x);
            }
        }
    }
}

fn share(variables: &mut [Variable], a: &str, b: &str) {
    let get = |variables: &[Variable], p: &str| variables.iter().find(|v| v.path == p).cloned();
    let (Some(va), Some(vb)) = (get(variables, a), get(variables, b)) else {
        return;
    };
    for v in variables.iter_mut() {
        if v.path == a || v.path == b {
            for other in [&va, &vb] {
                v.numbers.extend(other.numbers.iter().copied());
                v.dates.extend(other.dates.iter().copied());
                v.texts.extend(other.texts.iter().cloned());
                v.date_compared |= other.date_compared;
            }
        }
    }
}

/// Number candidates: each literal, and `width` points in every interval
/// between and beyond them.
fn number_points(literals: &[f64], width: usize) -> Vec<(f64, Cell)> {
    let mut sorted: Vec<f64> = literals.iter().copied().filter(|x| x.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    sorted.dedup_by(|a, b| a == b);
    let mut out = Vec::new();
    let mut below: Option<f64> = None;
    for x in sorted.iter().copied().map(Some).chain([None]) {
        for p in between(below, x, width) {
            out.push((p, Cell::NumberBetween(below, x)));
        }
        if let Some(x) = x {
            out.push((x, Cell::Number(x)));
        }
        below = x;
    }
    out
}

/// Up to `n` numbers strictly between `a` and `b` (either open), whole
/// numbers where there is room.
fn between(a: Option<f64>, b: Option<f64>, n: usize) -> Vec<f64> {
    let mut out: Vec<f64> = Vec::new();
    let fits = |x: f64| x.is_finite() && a.is_none_or(|a| x > a) && b.is_none_or(|b| x < b);
    let push = |x: f64, out: &mut Vec<f64>| {
        if fits(x) && !out.contains(&x) && out.len() < n {
            out.push(x);
        }
    };
    match (a, b) {
        (None, None) => {
            for i in 0..n {
                push(i as f64, &mut out);
            }
        }
        (Some(a), None) => {
            let mut x = a.floor();
            for _ in 0..n * 2 {
                x = if x + 1.0 > x { x + 1.0 } else { x.next_up() };
                push(x, &mut out);
            }
        }
        (None, Some(b)) => {
            let mut x = b.ceil();
            for _ in 0..n * 2 {
                x = if x - 1.0 < x { x - 1.0 } else { x.next_down() };
                push(x, &mut out);
            }
        }
        (Some(a), Some(b)) => {
            let mut x = a.floor() + 1.0;
            while out.len() < n && x < b && x > a {
                push(x, &mut out);
                x += 1.0;
            }
            for i in 1..=n + 1 {
                push(a + (b - a) * (i as f64) / ((n + 1) as f64), &mut out);
            }
            let mut x = a;
            for _ in 0..n {
                x = x.next_up();
                push(x, &mut out);
            }
        }
    }
    out.sort_by(f64::total_cmp);
    out
}

/// Date candidates: each date, and `width` days in every interval
/// between and beyond them; with no dates, the day of the check.
fn date_points(literals: &[NaiveDate], width: usize, today: NaiveDate) -> Vec<(NaiveDate, Cell)> {
    let mut sorted: Vec<NaiveDate> = literals.to_vec();
    sorted.sort();
    sorted.dedup();
    if sorted.is_empty() {
        return vec![(today, Cell::DateBetween(None, None))];
    }
    let mut out = Vec::new();
    let mut below: Option<NaiveDate> = None;
    for x in sorted.iter().copied().map(Some).chain([None]) {
        // The day of the check stands for its interval when it is in it.
        let inside = below.is_none_or(|a| today > a) && x.is_none_or(|b| today < b);
        if inside && width == 1 {
            out.push((today, Cell::DateBetween(below, x)));
            if let Some(x) = x {
                out.push((x, Cell::Date(x)));
            }
            below = x;
            continue;
        }
        let mut day = match (below, x) {
            (Some(a), _) => a.succ_opt(),
            (None, Some(b)) => b.checked_sub_days(chrono::Days::new(width as u64)),
            (None, None) => None,
        };
        let mut taken = 0;
        while let Some(d) = day {
            if taken >= width || x.is_some_and(|x| d >= x) {
                break;
            }
            out.push((d, Cell::DateBetween(below, x)));
            taken += 1;
            day = d.succ_opt();
        }
        if let Some(x) = x {
            out.push((x, Cell::Date(x)));
        }
        below = x;
    }
    out
}

/// Every part of a short text, the empty one included.
fn substrings(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = vec![String::new()];
    for i in 0..chars.len() {
        for j in i + 1..=chars.len() {
            out.push(
                chars
                    .get(i..j)
                    .map(|c| c.iter().collect())
                    .unwrap_or_default(),
            );
        }
    }
    out
}

/// A character in none of the texts, to join texts looked for without
/// making a new one across the join.
fn separator(texts: &[&str]) -> String {
    for c in ['|', '/', '#', '~', '^', '\u{2022}', '\u{e000}', '\u{e001}'] {
        if !texts.iter().any(|t| t.contains(c)) {
            return c.to_string();
        }
    }
    "\u{e002}".into()
}

/// `n` texts equal to none of the literals, holding none of the texts
/// looked for in the field, and found in none of the texts the field is
/// looked for in: "any other text".
fn fresh_texts(
    literals: &[String],
    looked_for: &[String],
    containers: &[String],
    sep: &str,
    n: usize,
) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..1000 {
        if out.len() >= n {
            break;
        }
        let candidate = match i {
            0 => "other".to_string(),
            1 => "zz".to_string(),
            _ => format!("{}{sep}{i}", if i % 2 == 0 { "other" } else { "zz" }),
        };
        let clean = !literals.contains(&candidate)
            && !looked_for
                .iter()
                .any(|l| !l.is_empty() && candidate.contains(l.as_str()))
            && !containers.iter().any(|c| c.contains(candidate.as_str()));
        if clean {
            out.push(candidate);
        }
    }
    out
}

fn number_json(x: f64) -> Json {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Json::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(Json::Null, Json::Number)
    }
}

fn value_json(value: &Value) -> Option<Json> {
    Some(match value {
        Value::Number(n) => number_json(*n),
        Value::String(s) => Json::String(s.clone()),
        Value::Date(d) => Json::String(d.to_string()),
        Value::Bool(b) => Json::Bool(*b),
        Value::List(items) => Json::Array(items.iter().filter_map(value_json).collect()),
    })
}

/// Every combination of the fields' candidates, where a field below one
/// given as anything but an object is left out.
fn product(
    paths: &[String],
    per_variable: &[Vec<(Given, Cell)>],
) -> Result<Vec<Vec<(Given, Cell)>>, Inexact> {
    let mut tuples: Vec<Vec<(Given, Cell)>> = vec![Vec::new()];
    for (i, candidates) in per_variable.iter().enumerate() {
        let path = paths.get(i).map(String::as_str).unwrap_or_default();
        let mut next = Vec::new();
        for tuple in &tuples {
            // Is an earlier field above this one given as other than an object?
            let blocked = tuple.iter().enumerate().any(|(j, (given, _))| {
                paths.get(j).is_some_and(|above| {
                    above != path
                        && crate::topic::pattern_matches(above, path)
                        && !matches!(given, Some(Json::Object(_)))
                })
            });
            if blocked {
                let mut t = tuple.clone();
                t.push((None, Cell::Absent));
                next.push(t);
                continue;
            }
            for candidate in candidates {
                let mut t = tuple.clone();
                t.push(candidate.clone());
                next.push(t);
            }
            if next.len() > MAX_GROUP_TUPLES {
                return Err(Inexact::TooLarge);
            }
        }
        tuples = next;
    }
    Ok(tuples)
}

/// The JSON fields of one candidate tuple.
fn fields_of(paths: &[String], tuple: &[(Given, Cell)]) -> Map<String, Json> {
    let mut fields = Map::new();
    merge_fields(&mut fields, paths, tuple);
    fields
}

fn merge_fields(fields: &mut Map<String, Json>, paths: &[String], tuple: &[(Given, Cell)]) {
    // Shorter paths first, so an object is made before what goes in it.
    let mut order: Vec<usize> = (0..paths.len()).collect();
    order.sort_by_key(|i| paths.get(*i).map_or(0, |p| p.split('.').count()));
    for i in order {
        let (Some(path), Some((Some(value), _))) = (paths.get(i), tuple.get(i)) else {
            continue;
        };
        insert_path(fields, path, value.clone());
    }
}

fn insert_path(fields: &mut Map<String, Json>, path: &str, value: Json) {
    let mut segments: Vec<&str> = path.split('.').collect();
    let Some(last) = segments.pop() else {
        return;
    };
    let mut map = fields;
    for segment in segments {
        let entry = map
            .entry(segment.to_string())
            .or_insert_with(|| Json::Object(Map::new()));
        if !entry.is_object() {
            *entry = Json::Object(Map::new());
        }
        match entry {
            Json::Object(inner) => map = inner,
            _ => return,
        }
    }
    match (map.get_mut(last), value) {
        // An object already made for the fields below keeps them.
        (Some(Json::Object(_)), Json::Object(_)) => {}
        (_, value) => {
            map.insert(last.to_string(), value);
        }
    }
}

/// Distinct values in order of first appearance.
pub(crate) fn dedup<T: PartialEq + Clone>(items: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for item in items {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_points_cover_each_literal_and_interval() {
        let points = number_points(&[50_000.0, 20_000.0], 1);
        let xs: Vec<f64> = points.iter().map(|(x, _)| *x).collect();
        assert_eq!(xs, vec![19_999.0, 20_000.0, 20_001.0, 50_000.0, 50_001.0]);
    }

    #[test]
    fn points_between_close_numbers_stay_between() {
        let a = 1.0f64;
        let b = a.next_up();
        assert!(between(Some(a), Some(b), 1).is_empty());
        let huge = 1.0e300;
        for x in between(Some(huge), None, 2) {
            assert!(x > huge);
        }
        for x in between(Some(0.5), Some(0.75), 2) {
            assert!(x > 0.5 && x < 0.75);
        }
    }

    #[test]
    fn date_points_cover_each_date_and_interval() {
        let d = |s| crate::proposal::parse_iso_date(s).unwrap_or_default();
        let points = date_points(&[d("2026-04-01"), d("2027-03-31")], 1, d("2026-12-01"));
        let days: Vec<String> = points.iter().map(|(x, _)| x.to_string()).collect();
        assert_eq!(
            days,
            vec![
                "2026-03-31",
                "2026-04-01",
                // The day of the check stands for the interval it is in.
                "2026-12-01",
                "2027-03-31",
                "2027-04-01"
            ]
        );
        let outside = date_points(&[d("2026-04-01")], 1, d("2026-01-01"));
        let days: Vec<String> = outside.iter().map(|(x, _)| x.to_string()).collect();
        assert_eq!(days, vec!["2026-01-01", "2026-04-01", "2026-04-02"]);
    }
}
