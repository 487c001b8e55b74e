package dev.stepwise.schedule;

/**
 * A problem with one argument, named by its path in the request
 * ({@code scheduler.schedulers[1].gamma}).
 *
 * @param field the path of the argument
 * @param message what is wrong, in words a user can act on
 */
public record FieldError(String field, String message) {

}
