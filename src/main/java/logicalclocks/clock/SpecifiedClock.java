package logicalclocks.clock;

/**
 * A wall clock that says how it is off from its base ({@link PhysicalClock.Spec}): what a VM's
 * START declares. A {@link PhysicalClock} is one; so is a replay's clock, which reads the recorded
 * times and declares the recorded spec.
 */
public interface SpecifiedClock {
  PhysicalClock.Spec spec();
}
