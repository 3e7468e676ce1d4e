"""Small numbers never shown: the rules every figure a trainer sees or downloads
passes through. The method, in the order it is applied:

1. Primary suppression: a count under the threshold (10 by default) is shown as
   "fewer than 10", never as a number. Zero is suppressed too: "nobody in this
   team chose X" tells an officer what the person they helped chose.
2. Secondary suppression inside a table: where a total is shown, the hidden cells
   of a row must add up to at least the threshold, so the total minus the shown
   cells cannot give a small hidden cell back; the next-smallest shown cells are
   hidden until they do.
3. Rounding: every count that is shown is rounded to the nearest 5, and shares
   are worked out from the rounded counts, so no published figure is exact. A
   share shown beside its counts comes from the counts as shown, and is hidden
   when either of them is.
4. Differencing between views: a trainer can ask for any period of whole months
   and any filters. A view is shown only if every "atom" of it (each month of the
   period x each filter met or not met) holds no responses or at least the
   threshold, so no view minus another view that differs by one month or one
   filter can isolate fewer than 10 people. Cells of a breakdown (a team in a
   stage) are checked the same way, with the cell's own values as extra filters.
   Response figures are sums of each month's release (feedback/domain/privacy/kanon.py), whose
   groups are never under the threshold, so over them this check cannot fail: it
   stays as a guard. Over links it is the rule.
"""

ROUNDING_BASE = 5


def rounded(count):
    """To the nearest 5, halves up: 12 -> 10, 13 -> 15."""
    return (count + ROUNDING_BASE // 2) // ROUNDING_BASE * ROUNDING_BASE


def shown(count, threshold):
    """The published form of one count: None (fewer than threshold) or rounded."""
    return None if count < threshold else rounded(count)


def protect_row(counts, threshold):
    """{key: count} -> {key: published count or None}, with secondary suppression."""
    hidden = {key for key, count in counts.items() if count < threshold}
    hidden_total = sum(counts[key] for key in hidden)
    visible = sorted((count, str(key), key) for key, count in counts.items()
                     if key not in hidden)
    # Hide the next-smallest until the hidden cells together are not small.
    while hidden and hidden_total < threshold and visible:
        count, _, key = visible.pop(0)
        hidden.add(key)
        hidden_total += count
    return {key: None if key in hidden else rounded(count) for key, count in counts.items()}


def share(part, whole, threshold):
    """Whole per cent of whole that part is, or None when whole is under threshold.
    Worked out from rounded counts, so it gives no exact count away."""
    if whole < threshold:
        return None
    base = rounded(whole)
    return min(100, round(100 * rounded(part) / base)) if base else None


def share_of_shown(part, whole):
    """Whole per cent of two published counts (None: hidden), for a share shown
    beside the counts it comes from: hidden when either is, so it never gives back
    a count the table hides ("fewer than 10" completed of 35 is no "14%")."""
    if part is None or not whole:
        return None
    return min(100, round(100 * part / whole))


def view_is_safe(atom_counts, threshold):
    """True when no atom of a view holds between 1 and threshold - 1 responses."""
    return all(count == 0 or count >= threshold for count in atom_counts)


def cell_is_safe(rows, cell, threshold):
    """Whether one cell of a breakdown can be shown.

    rows: (month, filter flags, cell values, count) tuples grouping the view's
    period; cell: the values that define this cell. The atoms are each month x
    each filter met or not x each cell value matched or not.
    """
    atoms = {}
    for month, flags, values, count in rows:
        matched = tuple(value == wanted for value, wanted in zip(values, cell, strict=True))
        key = (month, flags, matched)
        atoms[key] = atoms.get(key, 0) + count
    return view_is_safe(atoms.values(), threshold)
