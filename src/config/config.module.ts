import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, type Config } from './config.js';

/** Provides the Config checked at boot to every module (global, so feature modules need not import it). */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: Config): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
