//! Reading a union (`oneOf` / `anyOf` without a discriminator): which variants a JSON value
//! may be, in the order to try them.

/// What a value must look like to be read as one variant of a union.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An object.
    Object {
        /// The members it must have.
        required: &'static [&'static str],
        /// Every member the variant declares.
        members: &'static [&'static str],
        /// Whether it may have members it does not declare (a map, `additionalProperties`).
        open: bool,
    },
    /// Anything else: a string, number, list or union, whose own decoding decides.
    Any,
}

impl Shape {
    /// The indices of the variants `value` may be, in the order to try them: first the ones
    /// it fits exactly (an object with every required member and no member the variant does
    /// not declare, or a value of another kind), in their order; then the objects it fits
    /// only loosely (members the variant does not declare). A variant whose required members
    /// are missing, or that wants an object when the value is not one, is left out.
    ///
    /// ```
    /// use acs_runtime::Shape;
    /// const SHAPES: &[Shape] = &[
    ///     Shape::Object { required: &["name"], members: &["name", "age"], open: false },
    ///     Shape::Object { required: &["name"], members: &["name", "bark"], open: false },
    ///     Shape::Any,
    /// ];
    /// let dog = serde_json::json!({"name": "Rex", "bark": true});
    /// assert_eq!(Shape::candidates(&dog, SHAPES), [1, 2, 0]);
    /// let text = serde_json::json!("Rex");
    /// assert_eq!(Shape::candidates(&text, SHAPES), [2]);
    /// ```
    pub fn candidates(value: &serde_json::Value, shapes: &[Shape]) -> Vec<usize> {
        let mut exact = Vec::new();
        let mut loose = Vec::new();
        for (index, shape) in shapes.iter().enumerate() {
            match (shape, value.as_object()) {
                (Shape::Any, _) => exact.push(index),
                (
                    Shape::Object {
                        required,
                        members,
                        open,
                    },
                    Some(object),
                ) => {
                    if !required.iter().all(|name| object.contains_key(*name)) {
                        continue;
                    }
                    if *open || object.keys().all(|key| members.contains(&key.as_str())) {
                        exact.push(index);
                    } else {
                        loose.push(index);
                    }
                }
                (Shape::Object { .. }, None) => {}
            }
        }
        exact.extend(loose);
        exact
    }
}
