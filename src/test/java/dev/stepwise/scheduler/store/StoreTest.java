package dev.stepwise.scheduler.store;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.stepwise.OnEveryDatabase;

import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;

/**
 * A {@link DataJpaTest} of the store on the configured database (H2 by default,
 * PostgreSQL when {@code STEPWISE_DATABASE_URL} says so), with the migrations applied,
 * never an embedded replacement; run on every database.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@OnEveryDatabase
@interface StoreTest {

}
