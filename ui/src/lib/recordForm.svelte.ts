// What every record form shares: the form as the core gave it, saving, and
// what a failed save said. A failure never touches `form`, so what the
// person typed stays on screen.
import { describeFailure, type Errors } from "./forms";

export class RecordForm<T> {
  form = $state<T | null>(null);
  errors = $state<Errors>({});
  message = $state("");
  saving = $state(false);

  constructor(load: () => Promise<T>) {
    load()
      .then((form) => (this.form = form))
      .catch((error) => (this.message = describeFailure(error).message));
  }

  /** Sends the form; on success hands the saved record's id to `then`. */
  async save(send: (form: T) => Promise<string>, then: (id: string) => void) {
    if (!this.form || this.saving) return;
    this.saving = true;
    try {
      then(await send(this.form));
    } catch (error) {
      ({ errors: this.errors, message: this.message } = describeFailure(error));
    } finally {
      this.saving = false;
    }
  }
}
