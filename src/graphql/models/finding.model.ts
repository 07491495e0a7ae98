import { Field, ObjectType } from '@nestjs/graphql';
import type { Finding, Severity, VerificationStep } from '../../planner/types.js';
import { SeverityEnum } from '../enums.js';

@ObjectType('Finding', {
  description:
    'A security finding. `id` is the stable rule id (EXP001…), shared by every plan that has the finding: it does not identify this object (client caches should not normalize Finding by id).',
})
export class FindingModel implements Finding {
  @Field(() => String, { description: 'Stable rule id, documented in docs/findings.md (EXP001…).' })
  id!: string;

  @Field(() => SeverityEnum)
  severity!: Severity;

  @Field(() => String, { nullable: true, description: 'Null for a finding about the whole namespace.' })
  component?: string;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  detail!: string;

  @Field(() => String)
  remediation!: string;
}

@ObjectType('VerificationStep', { description: 'A command that checks the exposure works once applied.' })
export class VerificationStepModel implements VerificationStep {
  @Field(() => String)
  component!: string;

  @Field(() => String, { description: 'The command to run (kubectl …).' })
  command!: string;

  @Field(() => String, { description: 'What its output should show.' })
  expect!: string;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'True on isolation probes: the step passes only when the command gets no answer (exits non-zero). Null: the command must succeed.',
  })
  mustFail?: true;
}
