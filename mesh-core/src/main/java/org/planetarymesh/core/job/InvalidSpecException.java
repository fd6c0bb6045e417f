package org.planetarymesh.core.job;

import java.util.List;
import java.util.stream.Collectors;

/** A job spec was refused; carries every problem found, each with its field path. */
public final class InvalidSpecException extends IllegalArgumentException {
    private final List<FieldError> errors;

    public InvalidSpecException(List<FieldError> errors) {
        super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
